/** Messages of the schedules screens. */
import { featureMessages } from './feature.js';

export const schedulesMessages = featureMessages({
  en: {},
  id: {},
  de: {},
  es: {},
  pl: {},
});
