/**
 * How a card is laid out from an application's card document: the templates, the text rules a civil
 * registry accepts, and the rendering into the printer's five panels (the printer's protocol and its
 * bitmaps stay in drivers/card-printer).
 */
export { type CardTextOk, type CardTextProblem, checkCardText, cleanCardText } from './card-text.ts';
export { renderCard } from './render-card.ts';
