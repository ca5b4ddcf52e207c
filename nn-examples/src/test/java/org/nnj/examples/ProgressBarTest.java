package org.nnj.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.nnj.core.EpochMetrics;

/** {@link ProgressBar}: the exact line, redraws in place at a bounded rate (by a fake clock), the blanked line. */
class ProgressBarTest {
    private static final long MS = 1_000_000L;

    /** A fake terminal: what the bar printed, {@code \r} included. */
    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(terminal, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong();

    private String printed() {
        return terminal.toString(StandardCharsets.UTF_8);
    }

    @Test
    void rendersBatchesLossRateAndTimeLeft() {
        // epoch 3 of 17, batch 45 of 80 of 100 images after 1.5 s: 4500 images / 1.5 s = 3000 img/s; the 35 batches
        // left take 35 * 1.5 / 45 = 1.17 s; the bar is 20 wide in 80 columns and 45/80 of it (11) is done
        assertEquals("epoch  3/17 [###########.........]  45/80  loss 0.3121   3000 img/s  0:01 left",
                ProgressBar.render(3, 17, 45, 80, 0.31214, 4500, 1500 * MS, 80));
        assertEquals("epoch  3/17 [####################]  80/80  loss 0.2500   3200 img/s  evaluating",
                ProgressBar.render(3, 17, 80, 80, 0.25, 8000, 2500 * MS, 80));
        // no time has passed: no rate, no estimate
        assertEquals("epoch  1/2 [...................]    1/600  loss 2.3026      - img/s  - left",
                ProgressBar.render(1, 2, 1, 600, 2.30259, 100, 0, 80));
    }

    @Test
    void barKeepsItsWidthAsTheNumbersChange() {
        String slow = ProgressBar.render(1, 17, 5, 600, 2.0, 500, 10_000 * MS, 80);
        String fast = ProgressBar.render(1, 17, 5, 600, 2.0, 500, 10 * MS, 80);
        assertEquals(slow.indexOf(']'), fast.indexOf(']'), slow + "\n" + fast);
        assertTrue(slow.length() < 80 && fast.length() < 80);
    }

    @Test
    void narrowTerminalDropsTheBarAndNeverWraps() {
        String line = ProgressBar.render(12, 100, 345, 6000, 0.5, 34_500, 3000 * MS, 60);
        assertEquals("epoch 12/100  345/6000  loss 0.5000  11500 img/s  0:49 left", line);
        assertTrue(line.length() < 60);
        String tiny = ProgressBar.render(12, 100, 345, 6000, 0.5, 34_500, 3000 * MS, 40);
        assertEquals(39, tiny.length(), "cut to fit 40 columns: " + tiny);
    }

    @Test
    void durations() {
        assertEquals("0:00", ProgressBar.duration(0.4));
        assertEquals("1:05", ProgressBar.duration(65));
        assertEquals("59:59", ProgressBar.duration(3599.4));
        assertEquals("1:00:00", ProgressBar.duration(3600));
        assertEquals("27:46:40", ProgressBar.duration(100_000));
    }

    @Test
    void redrawsInPlaceAtMostTenTimesASecondThenBlanksItsLine() {
        ProgressBar bar = new ProgressBar(out, clock::get, 100, 80);
        clock.set(0);
        bar.onStart(1, 100);
        for (int step = 1; step <= 100; step++) {
            clock.set(step * 10 * MS); // a step every 10 ms: 100 steps a second
            bar.onStep(1, step, 1.0);
        }
        String drawn = printed();
        // the first step, then every 100 ms (steps 11, 21, ..., 91), then the last one: 11 redraws, not 100
        assertEquals(11, drawn.chars().filter(c -> c == '\r').count(), drawn);
        assertFalse(drawn.contains("\n"), "redrawn in place, never a new line");
        assertTrue(drawn.endsWith("\r" + ProgressBar.render(1, 1, 100, 100, 1.0, 10_000, 1000 * MS, 80)), drawn);
        assertTrue(drawn.contains("\r" + ProgressBar.render(1, 1, 11, 100, 1.0, 1100, 110 * MS, 80) + "\r"), drawn);
        assertFalse(drawn.contains(" 2/100 ") || drawn.contains(" 12/100 "), "steps within 100 ms are not drawn");

        int width = ProgressBar.render(1, 1, 100, 100, 1.0, 10_000, 1000 * MS, 80).length();
        bar.onEpoch(new EpochMetrics(1, 1.0, 0.5, 0.5, 1.0));
        assertEquals(drawn + "\r" + " ".repeat(width) + "\r", printed(), "the line is blanked for the epoch's log line");
    }

    @Test
    void aShorterLineIsPaddedOverTheLongerOneAndEachEpochStartsAfresh() {
        ProgressBar bar = new ProgressBar(out, clock::get, 10, 80);
        bar.onStart(2, 3);
        clock.set(200 * MS);
        bar.onStep(1, 1, 12.0);                 // loss 12.0000
        clock.set(400 * MS);
        bar.onStep(1, 2, 2.0);                  // mean 7.0000: one character shorter
        String first = ProgressBar.render(1, 2, 1, 3, 12.0, 10, 200 * MS, 80);
        String second = ProgressBar.render(1, 2, 2, 3, 7.0, 20, 400 * MS, 80);
        assertEquals(first.length() - 1, second.length());
        assertEquals("\r" + first + "\r" + second + " ", printed());

        clock.set(500 * MS);
        bar.onStep(1, 3, 1.0);
        clock.set(900 * MS);                    // after the evaluation
        bar.onEpoch(new EpochMetrics(1, 5.0, 0.5, 0.5, 0.5));
        terminal.reset();
        clock.set(950 * MS);
        bar.onStep(2, 1, 4.0);                  // the new epoch's clock and loss start at its beginning
        assertEquals("\r" + ProgressBar.render(2, 2, 1, 3, 4.0, 10, 50 * MS, 80), printed());
    }

    @Test
    void clearDoesNothingWhenNothingIsShown() {
        ProgressBar bar = new ProgressBar(out, clock::get, 10, 80);
        bar.onStart(1, 5);
        bar.clear();
        assertEquals("", printed());
    }

    @Test
    void theBarIsWantedOnATerminalOrWhenForcedButNeverWhenQuietOrVerbose() {
        assertTrue(RunOutput.progressWanted(false, false, null, true));
        assertFalse(RunOutput.progressWanted(false, false, null, false), "not a terminal: one line per epoch");
        assertTrue(RunOutput.progressWanted(false, false, "1", false));
        assertTrue(RunOutput.progressWanted(false, false, "true", false));
        assertFalse(RunOutput.progressWanted(false, false, "0", true));
        assertFalse(RunOutput.progressWanted(false, false, "off", true));
        assertTrue(RunOutput.progressWanted(false, false, "maybe", true), "an unknown value leaves it automatic");
        assertFalse(RunOutput.progressWanted(true, false, "1", true), "quiet");
        assertFalse(RunOutput.progressWanted(false, true, "1", true), "verbose: log lines would tear the bar");
    }
}
