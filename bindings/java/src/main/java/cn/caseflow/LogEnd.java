package cn.caseflow;

/**
 * Where a stored log must end, for {@code replay} and {@code verifyLog}: the stored
 * {@link CaseFile}, or a {@link LogAnchor} (its event count and last hash). Without one, a removed
 * tail cannot be found.
 */
public sealed interface LogEnd permits CaseFile, LogAnchor {}
