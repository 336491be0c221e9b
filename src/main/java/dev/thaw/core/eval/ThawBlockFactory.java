package dev.thaw.core.eval;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.thaw.core.backbone.Architectures;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds the network of an exported run whose backbone is one of Thaw's own architectures (a DJL
 * block): the backbone followed by the linear head. An export's {@code serving.properties} names
 * this class as {@code blockFactory}, with the arguments {@code arch}, {@code classes} and
 * {@code width}, so {@code Criteria} can load the folder's {@code .params} file (Thaw's jar must
 * be on the class path, as DJL's own zoo models need theirs).
 */
public final class ThawBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    /** The classifier: {@code arch}'s backbone and a linear head with {@code classes} outputs. */
    public static SequentialBlock classifier(String arch, int classes) {
        SequentialBlock b = new SequentialBlock();
        b.add(Architectures.get(arch).factory().get());
        b.add(Linear.builder().setUnits(classes).build());
        return b;
    }

    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        String arch = text(arguments, "arch");
        int classes = Integer.parseInt(text(arguments, "classes"));
        int size = Integer.parseInt(text(arguments, "width"));
        SequentialBlock b = classifier(arch, classes);
        b.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, size, size));
        return b;
    }

    private static String text(Map<String, ?> arguments, String key) {
        Object v = arguments.get(key);
        if (v == null) {
            throw new IllegalArgumentException("serving.properties lacks '" + key + "', which " + ThawBlockFactory.class.getName()
                    + " needs");
        }
        return v.toString();
    }
}
