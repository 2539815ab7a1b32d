package dev.unlearning.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CRD generator sorts printer columns by JSON path, which puts {@code Age} (metadata) first; kubectl users
 * expect the columns in the order the type declares them, {@code Age} last as in kubectl's own tables. This
 * puts a generated CRD's columns back in the order of the kind's {@link AdditionalPrinterColumn} annotations.
 */
final class PrinterColumnOrder {

    private static final String BLOCK = "  - additionalPrinterColumns:\n";
    private static final String ITEM = "    - jsonPath: ";

    private PrinterColumnOrder() {
    }

    static String apply(String crd, Class<?> kind) {
        int start = crd.indexOf(BLOCK);
        if (start < 0) {
            return crd;
        }
        int body = start + BLOCK.length();
        int end = body;
        while (end < crd.length() && (crd.startsWith(ITEM, end) || crd.startsWith("      ", end))) {
            end = crd.indexOf('\n', end) + 1;
        }
        Map<String, String> byName = new LinkedHashMap<>();
        for (String item : items(crd.substring(body, end))) {
            String name = item.replaceAll("(?s).*\n      name: \"([^\"]*)\".*", "$1");
            byName.put(name, item);
        }
        StringBuilder ordered = new StringBuilder();
        for (AdditionalPrinterColumn column : kind.getAnnotationsByType(AdditionalPrinterColumn.class)) {
            String item = byName.remove(column.name());
            if (item == null) {
                throw new IllegalStateException(kind.getSimpleName() + ": no generated column " + column.name());
            }
            ordered.append(item);
        }
        if (!byName.isEmpty()) {
            throw new IllegalStateException(kind.getSimpleName() + ": undeclared columns " + byName.keySet());
        }
        return crd.substring(0, body) + ordered + crd.substring(end);
    }

    private static List<String> items(String block) {
        List<String> items = new ArrayList<>();
        for (String part : Arrays.asList(block.split("(?=" + ITEM.replace("-", "\\-") + ")"))) {
            if (!part.isEmpty()) {
                items.add(part);
            }
        }
        return items;
    }
}
