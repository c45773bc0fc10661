// Checks what every FleetTrust operation owes its callers beyond plain OpenAPI:
// - public operations (security: []) carry no role and no 401/403;
// - secured operations name their least role in x-required-role, following the role
//   matrix (GET reads are viewer, PUT edits, event posting and deciding catalog proposals
//   are admin, other POSTs are planner), and document 401 (with a WWW-Authenticate header) and 403;
// - operations with a body state x-max-body-bytes (1 MiB or 10 MiB) and document
//   413 and 415.
const ROLES = ['viewer', 'planner', 'admin'];
const LIMITS = [1048576, 10485760];
// Operator's acts: replaying an ITSM message, running a report, deciding a catalog proposal.
const ADMIN_POSTS = [
  '/api/v1/events',
  '/api/v1/itsm/deliveries/{id}/replay',
  '/api/v1/reports/compliance/runs',
  '/api/v1/catalog/proposals/{id}/accept',
  '/api/v1/catalog/proposals/{id}/reject',
];

function expectedRole(method, path) {
  if (method === 'get') return 'viewer';
  if (method === 'put' || method === 'delete' || method === 'patch') return 'admin';
  return ADMIN_POSTS.includes(path) ? 'admin' : 'planner';
}

export default (operation, _options, context) => {
  if (operation === null || typeof operation !== 'object') return [];
  const [, path, method] = context.path;
  const results = [];
  const fail = (message, ...where) => results.push({ message, path: [...context.path, ...where] });
  const responses = operation.responses || {};
  const isPublic = Array.isArray(operation.security) && operation.security.length === 0;

  if (isPublic) {
    if ('x-required-role' in operation) fail('A public operation has no x-required-role.', 'x-required-role');
    for (const code of ['401', '403']) {
      if (code in responses) fail(`A public operation documents no ${code}.`, 'responses', code);
    }
  } else {
    const role = operation['x-required-role'];
    if (!ROLES.includes(role)) {
      fail(`x-required-role must be one of ${ROLES.join(', ')}.`, 'x-required-role');
    } else if (role !== expectedRole(method, path)) {
      fail(`By the role matrix, ${method.toUpperCase()} ${path} needs ${expectedRole(method, path)}, not ${role}.`, 'x-required-role');
    }
    if (!('401' in responses)) fail('A secured operation documents 401.', 'responses');
    else if (!(responses['401'].headers && responses['401'].headers['WWW-Authenticate'])) {
      fail('The 401 response carries a WWW-Authenticate header.', 'responses', '401');
    }
    if (!('403' in responses)) fail('A secured operation documents 403.', 'responses');
  }

  if (operation.requestBody) {
    if (!LIMITS.includes(operation['x-max-body-bytes'])) {
      fail(`An operation with a body states x-max-body-bytes (${LIMITS.join(' or ')}).`, 'x-max-body-bytes');
    }
    for (const code of ['413', '415']) {
      if (!(code in responses)) fail(`An operation with a body documents ${code}.`, 'responses');
    }
  } else if ('x-max-body-bytes' in operation) {
    fail('x-max-body-bytes only applies to operations with a body.', 'x-max-body-bytes');
  }
  return results;
};
