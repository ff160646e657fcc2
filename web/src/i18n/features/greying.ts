/** Messages of the greying screens. */
import { featureMessages } from './feature.js';

export const greyingMessages = featureMessages({
  en: {
    'greying.scopeNeedsPlayback': 'The scope applies once the user has Recording playback & scope.',
  },
  id: {
    'greying.scopeNeedsPlayback': 'Cakupan ini berlaku setelah pengguna memiliki Pemutaran rekaman & cakupan.',
  },
  de: {
    'greying.scopeNeedsPlayback': 'Der Umfang gilt, sobald der Benutzer „Aufnahmen abspielen & Umfang“ hat.',
  },
  es: {
    'greying.scopeNeedsPlayback': 'El alcance se aplica cuando el usuario tiene Reproducción de grabaciones y alcance.',
  },
  pl: {
    'greying.scopeNeedsPlayback': 'Zakres obowiązuje, gdy użytkownik ma Odtwarzanie nagrań i zakres.',
  },
});
