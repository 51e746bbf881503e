package cn.caseflow;

/** A part of the works with its own warranty period (docs/policy.md §1.1). */
public enum WarrantyElement implements Wire {
    FOUNDATIONS_AND_STRUCTURE, WATERPROOFING, HEATING, COOLING, INSTALLATIONS, DECORATION, OTHER
}
