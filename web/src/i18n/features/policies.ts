/** Messages of the policies screens: the tenant's session policy (S3) in Settings. */
import { featureMessages } from './feature.js';

export const policiesMessages = featureMessages({
  en: {
    'sessionPolicy.title': 'Sessions',
    'sessionPolicy.description':
      'How long a signed-in user keeps a seat without activity. Shorter times free seats sooner; the provider sets the limits.',
    'sessionPolicy.appLapse': 'App session lapse (seconds)',
    'sessionPolicy.appLapseHelp':
      'An app that stops sending heartbeats loses its seat after this long. Default 90 seconds.',
    'sessionPolicy.portalIdle': 'Portal idle time (minutes)',
    'sessionPolicy.portalIdleHelp': 'A portal session ends after this many idle minutes. Default 30 minutes.',
    'sessionPolicy.save': 'Save session policy',
    'sessionPolicy.saved': 'Session policy saved.',
    'error.policy_out_of_bounds': 'This value must be between {min} and {max} (the limits set by your provider).',
  },
  id: {
    'sessionPolicy.title': 'Sesi',
    'sessionPolicy.description':
      'Berapa lama pengguna yang masuk mempertahankan kursi tanpa aktivitas. Waktu yang lebih singkat membebaskan kursi lebih cepat; penyedia menetapkan batasnya.',
    'sessionPolicy.appLapse': 'Batas waktu sesi aplikasi (detik)',
    'sessionPolicy.appLapseHelp':
      'Aplikasi yang berhenti mengirim heartbeat kehilangan kursinya setelah waktu ini. Bawaan 90 detik.',
    'sessionPolicy.portalIdle': 'Waktu diam portal (menit)',
    'sessionPolicy.portalIdleHelp': 'Sesi portal berakhir setelah sekian menit tanpa aktivitas. Bawaan 30 menit.',
    'sessionPolicy.save': 'Simpan kebijakan sesi',
    'sessionPolicy.saved': 'Kebijakan sesi disimpan.',
    'error.policy_out_of_bounds': 'Nilai ini harus antara {min} dan {max} (batas yang ditetapkan penyedia Anda).',
  },
  de: {
    'sessionPolicy.title': 'Sitzungen',
    'sessionPolicy.description':
      'Wie lange ein angemeldeter Benutzer ohne Aktivität einen Platz behält. Kürzere Zeiten geben Plätze früher frei; die Grenzen legt der Anbieter fest.',
    'sessionPolicy.appLapse': 'Ablauf von App-Sitzungen (Sekunden)',
    'sessionPolicy.appLapseHelp':
      'Eine App, die keine Heartbeats mehr sendet, verliert ihren Platz nach dieser Zeit. Standard: 90 Sekunden.',
    'sessionPolicy.portalIdle': 'Leerlaufzeit im Portal (Minuten)',
    'sessionPolicy.portalIdleHelp':
      'Eine Portal-Sitzung endet nach so vielen Minuten ohne Aktivität. Standard: 30 Minuten.',
    'sessionPolicy.save': 'Sitzungsrichtlinie speichern',
    'sessionPolicy.saved': 'Sitzungsrichtlinie gespeichert.',
    'error.policy_out_of_bounds': 'Dieser Wert muss zwischen {min} und {max} liegen (die Grenzen Ihres Anbieters).',
  },
  es: {
    'sessionPolicy.title': 'Sesiones',
    'sessionPolicy.description':
      'Cuánto tiempo conserva un puesto un usuario conectado sin actividad. Los tiempos más cortos liberan puestos antes; el proveedor fija los límites.',
    'sessionPolicy.appLapse': 'Caducidad de la sesión de la aplicación (segundos)',
    'sessionPolicy.appLapseHelp':
      'Una aplicación que deja de enviar latidos pierde su puesto pasado este tiempo. Por defecto, 90 segundos.',
    'sessionPolicy.portalIdle': 'Tiempo de inactividad del portal (minutos)',
    'sessionPolicy.portalIdleHelp':
      'Una sesión del portal termina tras estos minutos sin actividad. Por defecto, 30 minutos.',
    'sessionPolicy.save': 'Guardar la política de sesiones',
    'sessionPolicy.saved': 'Política de sesiones guardada.',
    'error.policy_out_of_bounds': 'Este valor debe estar entre {min} y {max} (los límites que fija su proveedor).',
  },
  pl: {
    'sessionPolicy.title': 'Sesje',
    'sessionPolicy.description':
      'Jak długo zalogowany użytkownik zachowuje stanowisko bez aktywności. Krótszy czas szybciej zwalnia stanowiska; limity ustala dostawca.',
    'sessionPolicy.appLapse': 'Wygasanie sesji aplikacji (sekundy)',
    'sessionPolicy.appLapseHelp':
      'Aplikacja, która przestaje wysyłać sygnały aktywności, traci stanowisko po tym czasie. Domyślnie 90 sekund.',
    'sessionPolicy.portalIdle': 'Czas bezczynności w portalu (minuty)',
    'sessionPolicy.portalIdleHelp': 'Sesja portalu kończy się po tylu minutach bezczynności. Domyślnie 30 minut.',
    'sessionPolicy.save': 'Zapisz zasady sesji',
    'sessionPolicy.saved': 'Zasady sesji zapisane.',
    'error.policy_out_of_bounds': 'Ta wartość musi mieścić się między {min} a {max} (limity ustalone przez dostawcę).',
  },
});
