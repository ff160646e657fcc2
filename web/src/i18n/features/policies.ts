/** Messages of the policies screens. */
import { featureMessages } from './feature.js';

export const policiesMessages = featureMessages({
  en: {},
  id: {},
  de: {},
  es: {},
  pl: {},
});
