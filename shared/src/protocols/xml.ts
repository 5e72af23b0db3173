const XML_SPECIAL = /[&<>"'\r]/;
const XML_SPECIAL_ALL = /[&<>"'\r]/g;
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A literal CR would reach the client as LF (XML end-of-line normalisation); SQS bodies must keep it.
  '\r': '&#xD;',
};

/** Escapes text for element content and attribute values. */
export function escapeXml(text: string): string {
  return XML_SPECIAL.test(text) ? text.replace(XML_SPECIAL_ALL, (c) => ENTITIES[c]) : text;
}

/**
 * Appends an XML document to one string. Names are written as given (they come from models, not
 * from callers); text and attribute values are escaped.
 */
export class XmlWriter {
  private xml = '';

  open(name: string, attributes?: Readonly<Record<string, string>>): this {
    this.xml += `<${name}`;
    if (attributes) for (const k in attributes) this.xml += ` ${k}="${escapeXml(attributes[k])}"`;
    this.xml += '>';
    return this;
  }

  close(name: string): this {
    this.xml += `</${name}>`;
    return this;
  }

  /** `<name>text</name>`. */
  element(name: string, text: string): this {
    this.xml += `<${name}>${escapeXml(text)}</${name}>`;
    return this;
  }

  /** `<name>text</name>` for text that cannot need escaping: a number, boolean or timestamp written by the encoder. */
  plainElement(name: string, text: string): this {
    this.xml += `<${name}>${text}</${name}>`;
    return this;
  }

  /** Escaped text content of the element last opened. */
  text(content: string): this {
    this.xml += escapeXml(content);
    return this;
  }

  /** `<name/>`. */
  empty(name: string): this {
    this.xml += `<${name}/>`;
    return this;
  }

  toString(): string {
    return this.xml;
  }
}
