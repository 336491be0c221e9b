package dev.thaw.core.backbone;

import ai.djl.nn.Parameter;

/**
 * A parameter and its dotted path in the layer tree ({@code backbone.layer4.0.conv1.weight}); a
 * {@link dev.thaw.core.model.FreezePlan} freezes it when it covers that path.
 */
public record NamedParameter(String path, Parameter parameter) {

    /** Running statistics are state, not parameters: they never take gradients and are not counted. */
    public boolean isRunningStatistic() {
        Parameter.Type t = parameter.getType();
        return t == Parameter.Type.RUNNING_MEAN || t == Parameter.Type.RUNNING_VAR;
    }

    public long size() {
        return parameter.isInitialized() ? parameter.getArray().size() : parameter.getShape() == null ? 0 : parameter.getShape().size();
    }
}
