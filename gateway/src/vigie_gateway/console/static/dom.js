// Two element builders, so views read as the markup they make. Text goes in as text nodes:
// nothing a server or a user typed is ever parsed as HTML.
const SVG_NS = "http://www.w3.org/2000/svg";

function build(element, attributes, children) {
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "text") element.textContent = value;
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export const h = (tag, attributes, ...children) => build(document.createElement(tag), attributes, children);
export const svg = (tag, attributes, ...children) => build(document.createElementNS(SVG_NS, tag), attributes, children);

/** The errors of a mutation payload (`code`, and the service's `reason`) or of a response
 * (`extensions.code`), as a list item per error. */
export function errorList(errors) {
  return h("ul", { class: "errors", role: "alert" },
    errors.map((e) => {
      const code = e.code ?? e.extensions?.code ?? "ERROR";
      return h("li", { "data-code": code, "data-reason": e.reason ?? code }, `${e.reason || code}: ${e.message}`);
    }));
}
