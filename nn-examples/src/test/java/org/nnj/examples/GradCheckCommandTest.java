package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code nnj gradcheck}: backprop agrees with central differences on real digits. */
class GradCheckCommandTest {

    @Test
    void passesForEveryParameterOfTheTwoLayerNet() {
        Cli r = Cli.run("gradcheck");
        assertEquals(0, r.code, r::toString);
        for (String p : new String[] {"Affine1.W", "Affine1.b", "Affine2.W", "Affine2.b"}) {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(p) + "\\s+(\\d+)\\s+(\\S+)\\s+(\\S+)\\s+(\\d+)$")
                    .matcher(r.out);
            assertTrue(m.find(), p + " row in\n" + r.out);
            assertTrue(Double.parseDouble(m.group(3)) <= 1e-6, p + " relative error " + m.group(3));
        }
        assertTrue(r.out.contains("kink element(s) judged against one-sided derivatives"), r.out);
        assertTrue(r.out.contains("PASS"), r.out);
    }

    @Test
    void picksDistinctSamples() {
        int[] picked = GradCheckCommand.pick(10, 10, new java.util.Random(3));
        assertEquals(10, java.util.Arrays.stream(picked).distinct().count());
    }
}
