/**
 * What HTML a runbook body may carry onto the team's incident site. Runbooks arrive
 * through pull requests, so raw HTML (and JSX in MDX) is read as untrusted: no element
 * that runs or embeds other documents, no event handler, no URL that runs script.
 */

/** Elements that run script, embed other documents, or change how the page loads. */
const UNSAFE_ELEMENTS = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'meta', 'link', 'style', 'form', 'input', 'button', 'textarea', 'select', 'portal', 'template', 'noscript', 'xmp', 'plaintext', 'noembed', 'noframes', 'animate', 'set', 'animatetransform', 'animatemotion', 'foreignobject', 'handler', 'listener']);

/** Attributes that hold a URL a browser follows or loads. */
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlinkhref', 'xlink:href', 'poster', 'background', 'cite', 'data', 'srcset', 'codebase', 'longdesc', 'ping', 'manifest', 'lowsrc', 'dynsrc', 'srcdoc', 'values', 'to', 'from', 'by']);

/**
 * Why a URL would run script, or undefined: `javascript:` and `vbscript:` in any case and
 * with any whitespace or control characters browsers ignore, and `data:` except inline
 * raster images in an `<img>`.
 */
export function unsafeUrl(url: string, element = ''): string | undefined {
  // Browsers drop these before reading the scheme: `java\tscript:`, ` javascript:`.
  const squeezed = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(squeezed)?.[1];
  if (scheme === 'javascript' || scheme === 'vbscript') return `a ${scheme}: URL runs script`;
  if (scheme === 'data' && !(element === 'img' && /^data:image\/(png|gif|jpe?g|webp|avif);/.test(squeezed))) return 'a data: URL can carry a page of its own';
  return undefined;
}

/** What is unsafe about one element: its name, an event handler, a scripted URL or style. */
export function unsafeElement(name: string, attributes: Readonly<Record<string, unknown>>): string | undefined {
  const tag = name.toLowerCase();
  if (UNSAFE_ELEMENTS.has(tag)) return `<${tag}> runs script or embeds another document`;
  for (const [key, raw] of Object.entries(attributes)) {
    const attr = key.toLowerCase();
    const value = Array.isArray(raw) ? raw.join(' ') : String(raw ?? '');
    if (/^on/.test(attr) || attr === 'srcdoc') return `the ${attr} attribute on <${tag}> runs script`;
    if (URL_ATTRIBUTES.has(attr)) {
      for (const url of attr === 'srcset' ? value.split(',').map((s) => s.trim().split(/\s+/)[0]) : [value]) {
        const why = unsafeUrl(url, tag);
        if (why) return `${attr} on <${tag}>: ${why}`;
      }
    }
    if (attr === 'style' && /expression\s*\(|javascript:|behaviou?r\s*:|-moz-binding/i.test(value)) return `the style on <${tag}> can run script`;
  }
  return undefined;
}
