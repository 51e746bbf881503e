package cn.caseflow;

import java.util.List;
import java.util.Map;

/**
 * The answer to {@code spotCheck} (docs/policy.md §6): per project, the {@code k} cases with the
 * smallest sampling keys under the seed, so the same seed and cases give the same sample.
 *
 * @param seed the seed, an unsigned 64-bit number ({@link Long#toUnsignedString} writes it)
 * @param k at most this many cases per project
 * @param projects the sample, by project id
 * @param leftOut the cases whose log did not replay: not sampled, one {@code bad_log} finding each
 */
public record SpotCheck(long seed, long k, Map<String, ProjectSample> projects, List<Finding> leftOut) {
    /**
     * The sample of one project.
     *
     * @param population how many cases of the project were given
     * @param cases the sampled cases, smallest key first
     */
    public record ProjectSample(long population, List<SampledCase> cases) {
        static ProjectSample read(Json.Obj o) {
            return new ProjectSample(o.integer("population"), o.list("cases", SampledCase::read));
        }
    }

    /**
     * One sampled case.
     *
     * @param id the case id
     * @param key its sampling key (SHA-256, hex)
     */
    public record SampledCase(String id, String key) {
        static SampledCase read(Json.Obj o) {
            return new SampledCase(o.str("id"), o.str("key"));
        }
    }

    static SpotCheck read(Json.Obj o) {
        return new SpotCheck(o.unsigned("seed"), o.integer("k"), o.map("projects", (key, path) -> key, (m, key) -> ProjectSample.read(m.obj(key))),
                o.list("left_out", Finding::read));
    }
}
