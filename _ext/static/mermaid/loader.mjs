// sphinxcontrib-mermaid imports this module (`mermaid_use_local` in _config.yml) instead of
// mermaid from a CDN: it loads the copy of mermaid served with the site, a classic script that
// sets globalThis.mermaid, and exports it. Diagrams therefore render offline.
await new Promise((resolve, reject) => {
  const script = document.createElement("script");
  script.src = new URL("./mermaid.min.js", import.meta.url).href;
  script.onload = resolve;
  script.onerror = () => reject(new Error(`could not load ${script.src}`));
  document.head.appendChild(script);
});

export default globalThis.mermaid;
