/** Messages of the greying screens. */
import { featureMessages } from './feature.js';

export const greyingMessages = featureMessages({
  en: {},
  id: {},
  de: {},
  es: {},
  pl: {},
});
