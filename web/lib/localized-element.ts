import { LitElement } from 'lit';
import { LocaleController } from '../i18n/catalogue.ts';

/** A Lit element that re-renders when the language is switched. */
export class LocalizedElement extends LitElement {
  constructor() {
    super();
    new LocaleController(this);
  }
}
