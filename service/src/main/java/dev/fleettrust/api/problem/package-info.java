/**
 * RFC 9457 problem details for every error the HTTP API returns: one {@link
 * dev.fleettrust.api.problem.ProblemType} enum with stable type URIs, a {@link
 * dev.fleettrust.api.problem.ProblemException} controllers throw, and handlers that turn whatever
 * else goes wrong (401, 403, 404, 413, 415, malformed input, outages) into {@code
 * application/problem+json}. Bad input never yields a 500.
 */
package dev.fleettrust.api.problem;
