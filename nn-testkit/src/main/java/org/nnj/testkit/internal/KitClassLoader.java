package org.nnj.testkit.internal;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.nnj.api.spi.LossProvider;

/**
 * A class loader that sees everything its parent sees, plus one more {@code META-INF/services} entry registering
 * {@link ProbeLossProvider}. Classes all come from the parent. Internal to the kit; not API.
 */
public final class KitClassLoader extends ClassLoader {
    private static final String LOSS_SERVICES = "META-INF/services/" + LossProvider.class.getName();
    private static final String EXTRA = "org/nnj/testkit/internal/probe-loss.services";

    static {
        registerAsParallelCapable();
    }

    /** @param parent the loader that sees the layer under test */
    public KitClassLoader(ClassLoader parent) {
        super("nnj-testkit", parent);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        Enumeration<URL> parents = super.getResources(name);
        if (!LOSS_SERVICES.equals(name)) {
            return parents;
        }
        List<URL> all = new ArrayList<>(Collections.list(parents));
        URL extra = KitClassLoader.class.getClassLoader().getResource(EXTRA);
        if (extra == null) {
            throw new IOException("nnj-testkit is incomplete: resource " + EXTRA + " is missing");
        }
        all.add(extra);
        return Collections.enumeration(all);
    }
}
