import { byId } from './dom';

const KEYS: readonly (readonly [key: string, letters: string, name: string])[] = [
  ['1', '', '1'],
  ['2', 'ABC', '2'],
  ['3', 'DEF', '3'],
  ['4', 'GHI', '4'],
  ['5', 'JKL', '5'],
  ['6', 'MNO', '6'],
  ['7', 'PQRS', '7'],
  ['8', 'TUV', '8'],
  ['9', 'WXYZ', '9'],
  ['*', '', 'Star'],
  ['0', '+', '0'],
  ['#', '', 'Pound'],
];

/**
 * The 12-key pad: real buttons (Tab, Enter and Space work), named for screen readers ("Star",
 * "Pound"); the letters are decoration. It dials into the number field, or sends tones in a call.
 */
export class Keypad {
  readonly #group = byId('keypad', HTMLDivElement);
  readonly #buttons: HTMLButtonElement[] = [];

  constructor(onKey: (key: string) => void) {
    for (const [key, letters, name] of KEYS) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'key';
      button.dataset.key = key;
      button.setAttribute('aria-label', name);
      const digit = document.createElement('span');
      digit.className = 'digit';
      digit.textContent = key;
      const sub = document.createElement('span');
      sub.className = 'letters';
      sub.setAttribute('aria-hidden', 'true');
      sub.textContent = letters;
      button.append(digit, sub);
      button.addEventListener('click', () => onKey(key));
      this.#group.append(button);
      this.#buttons.push(button);
    }
  }

  /** In a call the pad sends tones; its group name says so. */
  setMode(mode: 'dial' | 'tones' | 'off'): void {
    const label = mode === 'tones' ? 'Keypad: send tones' : 'Dial pad';
    if (this.#group.getAttribute('aria-label') !== label)
      this.#group.setAttribute('aria-label', label);
    for (const button of this.#buttons) button.disabled = mode === 'off';
  }
}
