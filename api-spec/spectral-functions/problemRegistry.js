// Keeps the problem types in one list: x-problem-types (the table the server's
// problem-type enum mirrors) must equal the ProblemType schema enum, and every
// specific *Problem schema must pin one registered type URI and its status.
export default (root) => {
  const results = [];
  const registry = root['x-problem-types'];
  const schemas = (root.components && root.components.schemas) || {};
  if (!Array.isArray(registry) || registry.length === 0) {
    return [{ message: 'x-problem-types lists every problem type.', path: ['x-problem-types'] }];
  }
  const byType = new Map();
  registry.forEach((entry, i) => {
    const where = ['x-problem-types', i];
    if (!entry || typeof entry.type !== 'string' || !entry.type.startsWith('https://fleettrust.dev/problems/')) {
      results.push({ message: 'A problem type is a https://fleettrust.dev/problems/ URI.', path: where });
      return;
    }
    if (!Number.isInteger(entry.status) || entry.status < 400 || entry.status > 599) {
      results.push({ message: `${entry.type} needs an HTTP status 400-599.`, path: where });
    }
    for (const key of ['title', 'description']) {
      if (typeof entry[key] !== 'string' || entry[key].length === 0) {
        results.push({ message: `${entry.type} needs a ${key}.`, path: where });
      }
    }
    if (byType.has(entry.type)) results.push({ message: `${entry.type} is listed twice.`, path: where });
    byType.set(entry.type, entry.status);
  });

  const enumValues = (schemas.ProblemType && schemas.ProblemType.enum) || [];
  const listed = [...byType.keys()].sort().join('\n');
  if ([...enumValues].sort().join('\n') !== listed) {
    results.push({
      message: 'components.schemas.ProblemType.enum must list exactly the x-problem-types URIs.',
      path: ['components', 'schemas', 'ProblemType', 'enum'],
    });
  }

  for (const [name, schema] of Object.entries(schemas)) {
    if (!name.endsWith('Problem') || name === 'Problem') continue;
    const where = ['components', 'schemas', name];
    const props = (schema && schema.properties) || {};
    const types = props.type && props.type.enum;
    const statuses = props.status && props.status.enum;
    if (!Array.isArray(types) || types.length !== 1 || !byType.has(types[0])) {
      results.push({ message: `${name}.type must be an enum of exactly one registered problem type.`, path: where });
      continue;
    }
    if (!Array.isArray(statuses) || statuses.length !== 1 || statuses[0] !== byType.get(types[0])) {
      results.push({ message: `${name}.status must be [${byType.get(types[0])}], the status registered for ${types[0]}.`, path: where });
    }
    for (const required of ['type', 'title', 'status']) {
      if (!(schema.required || []).includes(required)) {
        results.push({ message: `${name} requires ${required}.`, path: where });
      }
    }
  }
  return results;
};
