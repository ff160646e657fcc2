/** Messages of the users CSV import wizard beyond its first version (P3). */
import { featureMessages } from './feature.js';

export const usersImportMessages = featureMessages({
  en: {
    'usersImport.interrupted':
      'The server running the import stopped before it finished; nothing was written. Import the file again.',
  },
  id: {
    'usersImport.interrupted':
      'Server yang menjalankan impor berhenti sebelum selesai; tidak ada yang ditulis. Impor berkas itu lagi.',
  },
  de: {
    'usersImport.interrupted':
      'Der Server, der den Import ausführte, wurde vor dem Ende angehalten; nichts wurde geschrieben. Importieren Sie die Datei erneut.',
  },
  es: {
    'usersImport.interrupted':
      'El servidor que ejecutaba la importación se detuvo antes de terminar; no se escribió nada. Importe el archivo de nuevo.',
  },
  pl: {
    'usersImport.interrupted':
      'Serwer wykonujący import zatrzymał się przed jego końcem; nic nie zostało zapisane. Zaimportuj plik ponownie.',
  },
});
