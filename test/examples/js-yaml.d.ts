// js-yaml ships no types; the examples' tests use one function of it.
declare module 'js-yaml' {
  const yaml: { loadAll(text: string): unknown[] };
  export default yaml;
}
