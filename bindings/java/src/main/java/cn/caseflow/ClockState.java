package cn.caseflow;

/** Where a clock stands at an instant. */
public enum ClockState implements Wire {
    RUNNING, AT_RISK, BREACHED, MET, PAUSED
}
