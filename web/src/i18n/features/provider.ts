/** Messages of the provider screens. */
import { featureMessages } from './feature.js';

export const providerMessages = featureMessages({
  en: {},
  id: {},
  de: {},
  es: {},
  pl: {},
});
