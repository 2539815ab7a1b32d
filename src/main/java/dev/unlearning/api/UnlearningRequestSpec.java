package dev.unlearning.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** What to forget, from which model, and how. Immutable once created: a request is a record of intent. */
@ValidationRule(value = "self == oldSelf", message = "spec is immutable; create a new UnlearningRequest instead")
public class UnlearningRequestSpec {

    @Required
    @JsonPropertyDescription("The ShardedModel, in this request's namespace, that must forget.")
    private ModelReference modelRef;

    @Required
    private ForgetSelector forget;

    @Default("Auto")
    @JsonPropertyDescription("Exact (SISA retrain), SCRUB, NegGradPlus, FineTune, or Auto (cheapest approximate, exact if verification fails).")
    private UnlearningMethod method = UnlearningMethod.AUTO;

    public ModelReference getModelRef() {
        return modelRef;
    }

    public void setModelRef(ModelReference modelRef) {
        this.modelRef = modelRef;
    }

    public ForgetSelector getForget() {
        return forget;
    }

    public void setForget(ForgetSelector forget) {
        this.forget = forget;
    }

    public UnlearningMethod getMethod() {
        return method;
    }

    public void setMethod(UnlearningMethod method) {
        this.method = method;
    }
}
