/** The tenant admin's portal: menus by what the user may do, names instead of ids, group deletion. */
import { featureMessages } from './feature.js';

export const tenantAdminMessages = featureMessages({
  en: {
    'notAllowed.title': 'Not part of your access',
    'notAllowed.body':
      'Your profile and permissions do not include this screen. An administrator of your organisation can grant it.',
  },
  id: {
    'notAllowed.title': 'Tidak termasuk akses Anda',
    'notAllowed.body':
      'Profil dan izin Anda tidak mencakup layar ini. Administrator organisasi Anda dapat memberikannya.',
  },
  de: {
    'notAllowed.title': 'Nicht Teil Ihres Zugriffs',
    'notAllowed.body':
      'Ihr Profil und Ihre Berechtigungen umfassen diese Seite nicht. Ein Administrator Ihrer Organisation kann sie freigeben.',
  },
  es: {
    'notAllowed.title': 'No forma parte de su acceso',
    'notAllowed.body':
      'Su perfil y sus permisos no incluyen esta pantalla. Un administrador de su organización puede concederla.',
  },
  pl: {
    'notAllowed.title': 'Poza Twoim dostępem',
    'notAllowed.body':
      'Twój profil i uprawnienia nie obejmują tego ekranu. Może go przyznać administrator Twojej organizacji.',
  },
});
