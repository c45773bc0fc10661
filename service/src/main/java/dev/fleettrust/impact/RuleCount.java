package dev.fleettrust.impact;

import dev.fleettrust.trust.Rule;

/**
 * One line of the summary's {@code findings}: how many devices a rule fires for, and what it means
 * in a phone administrator's words.
 */
public record RuleCount(Rule rule, int devices, String message) {}
