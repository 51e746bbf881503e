package cn.caseflow;

/** How a warranty answer was reached. */
public enum WarrantyBasis implements Wire {
    NOT_ACCEPTED, CLERK, RULES, EVERY_ELEMENT, UNDETERMINED
}
