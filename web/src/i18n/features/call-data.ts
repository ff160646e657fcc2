/** Messages of the call data screens. */
import { featureMessages } from './feature.js';

export const callDataMessages = featureMessages({
  en: {},
  id: {},
  de: {},
  es: {},
  pl: {},
});
