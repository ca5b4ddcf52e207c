package org.nnj.examples;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import org.nnj.core.Registry;

/** {@code nnj list}: every provider found through {@code ServiceLoader}, by kind, with its class and origin. */
final class ListCommand implements Command {

    @Override
    public String name() {
        return "list";
    }

    @Override
    public String summary() {
        return "every provider found (layers, losses, optimizers, datasets, backends) with class and jar";
    }

    @Override
    public String usage() {
        return "usage: ./nnj list\n\nLists every provider found on the class path, by kind: name, class, the jar or\n"
                + "directory it came from, and its description. No options.\n";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) {
        Options.parse(name(), args, Set.of());
        List<Registry.Entry> entries = Registry.load(Main.class.getClassLoader()).describe();
        int nameWidth = 4;
        int classWidth = 5;
        int sourceWidth = 6;
        for (Registry.Entry e : entries) {
            nameWidth = Math.max(nameWidth, e.name().length());
            classWidth = Math.max(classWidth, e.className().length());
            sourceWidth = Math.max(sourceWidth, shortSource(e.source()).length());
        }
        String row = "  %-" + nameWidth + "s  %-" + classWidth + "s  %-" + sourceWidth + "s  %s%n";
        String kind = null;
        for (Registry.Entry e : entries) {
            if (!e.kind().equals(kind)) {
                kind = e.kind();
                out.println((kind.equals("loss") ? "losses" : kind + "s") + ":");
            }
            out.printf(row, e.name(), e.className(), shortSource(e.source()), e.description()).flush();
        }
        return ExitCode.OK;
    }

    /**
     * The jar's file name ({@code nnj.jar}), or the last three parts of a class directory
     * ({@code nn-layers/target/classes}).
     */
    static String shortSource(String url) {
        if (url == null || url.isEmpty()) {
            return "?";
        }
        String s = url;
        while (s.endsWith("/") || s.endsWith("!")) {
            s = s.substring(0, s.length() - 1);
        }
        String[] parts = s.split("/");
        if (parts.length == 0) {
            return url;
        }
        if (parts[parts.length - 1].endsWith(".jar") || parts.length < 3) {
            return parts[parts.length - 1];
        }
        return String.join("/", List.of(parts).subList(parts.length - 3, parts.length));
    }
}
