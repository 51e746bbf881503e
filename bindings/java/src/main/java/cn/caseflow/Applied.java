package cn.caseflow;

import java.util.List;

/**
 * The answer to {@code record} and {@code apply}: store the event, keep the case, carry out the
 * effects.
 *
 * @param caseFile the case after the command
 * @param event the event to append to the case's log
 * @param effects what the host must do
 * @param json the whole answer as JSON
 */
public record Applied(CaseFile caseFile, Event event, List<Effect> effects, String json) {
    static Applied read(String text) {
        Json.Obj o = Json.Obj.root(text);
        return new Applied(
                CaseFile.read(o.obj("case"), o.text("case")),
                Event.read(o.obj("event"), o.text("event")),
                o.list("effects", Effect::read),
                text);
    }
}
