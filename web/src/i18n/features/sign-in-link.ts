/** Messages of the operator's sign-in link page (`/sign-in/link`, I3). */
import { featureMessages } from './feature.js';

export const signInLinkMessages = featureMessages({
  en: {
    'signInLink.title': 'Sign in with a link',
    'signInLink.help': 'This link signs you in once, within 15 minutes of being made. Continue to open the portal.',
    'signInLink.continue': 'Continue',
    'signInLink.password': 'Sign in with email and password instead',
  },
  id: {
    'signInLink.title': 'Masuk dengan tautan',
    'signInLink.help':
      'Tautan ini memasukkan Anda satu kali, dalam 15 menit sejak dibuat. Lanjutkan untuk membuka portal.',
    'signInLink.continue': 'Lanjutkan',
    'signInLink.password': 'Masuk dengan email dan kata sandi saja',
  },
  de: {
    'signInLink.title': 'Mit einem Link anmelden',
    'signInLink.help':
      'Dieser Link meldet Sie einmal an, innerhalb von 15 Minuten nach seiner Erstellung. Fahren Sie fort, um das Portal zu öffnen.',
    'signInLink.continue': 'Weiter',
    'signInLink.password': 'Stattdessen mit E-Mail und Passwort anmelden',
  },
  es: {
    'signInLink.title': 'Iniciar sesión con un enlace',
    'signInLink.help':
      'Este enlace inicia su sesión una sola vez, dentro de los 15 minutos siguientes a su creación. Continúe para abrir el portal.',
    'signInLink.continue': 'Continuar',
    'signInLink.password': 'Iniciar sesión con correo y contraseña',
  },
  pl: {
    'signInLink.title': 'Logowanie przez link',
    'signInLink.help': 'Ten link loguje jeden raz, w ciągu 15 minut od utworzenia. Kontynuuj, aby otworzyć portal.',
    'signInLink.continue': 'Dalej',
    'signInLink.password': 'Zaloguj się e-mailem i hasłem',
  },
});
