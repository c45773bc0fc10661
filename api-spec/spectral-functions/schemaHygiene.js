// Two habits that keep schemas meaning the same thing in every validator the project
// uses (ajv in Spectral, swagger-request-validator in the contract test):
// - a schema with `properties` states `additionalProperties` (true, false or a schema):
//   swagger-request-validator otherwise injects `false`;
// - a schema with `anyOf`/`oneOf` states `type`: swagger-request-validator otherwise
//   assumes `object` and rejects strings and nulls.
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
