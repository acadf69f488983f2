/**
 * A value as the service stored it: its JSON text, which an answer can hold as it is instead of
 * parsing it into objects only to write them out again (the costliest part of a large read, in
 * time and in garbage). Anything that serialises it with `JSON.stringify` gets the value.
 */
export class RawJson {
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}
