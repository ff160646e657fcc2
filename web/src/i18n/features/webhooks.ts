/** Messages of the webhooks screens. */
import { featureMessages } from './feature.js';

export const webhooksMessages = featureMessages({
  en: {},
  id: {},
  de: {},
  es: {},
  pl: {},
});
