package cn.caseflow;

/**
 * A log's anchor: how many events it has and the hash of the last, as the host keeps them apart
 * from the log.
 *
 * @param events how many events
 * @param lastHash the hash of the last event
 */
public record LogAnchor(long events, String lastHash) implements LogEnd {}
