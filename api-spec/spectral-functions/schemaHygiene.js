// Two habits that keep schemas explicit, so they read the same in every tool (ajv in
// Spectral, networknt in the contract test, generators and Swagger UI):
// - a schema with `properties` states `additionalProperties` (true, false or a schema),
//   so whether a response may carry more fields is a decision, not a default;
// - a schema with `anyOf`/`oneOf` states `type`.
const CHILD_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const CHILD_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const CHILDREN = ['items', 'not', 'additionalProperties', 'contains', 'if', 'then', 'else', 'propertyNames'];

export default (schema, _options, context) => {
  const results = [];
  const seen = new Set();
  const visit = (node, path) => {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || seen.has(node)) return;
    seen.add(node);
    if (node.properties && !('additionalProperties' in node)) {
      results.push({ message: 'A schema with properties states additionalProperties.', path });
    }
    if ((node.anyOf || node.oneOf) && !('type' in node)) {
      results.push({ message: 'A schema with anyOf/oneOf states its type.', path });
    }
    for (const key of CHILD_MAPS) {
      if (node[key] && typeof node[key] === 'object') {
        for (const [name, child] of Object.entries(node[key])) visit(child, [...path, key, name]);
      }
    }
    for (const key of CHILD_LISTS) {
      if (Array.isArray(node[key])) node[key].forEach((child, i) => visit(child, [...path, key, i]));
    }
    for (const key of CHILDREN) visit(node[key], [...path, key]);
  };
  visit(schema, context.path);
  return results;
};
