package org.nnj.core;

/**
 * What one epoch of training measured.
 *
 * @param epoch    1-based epoch number
 * @param loss     mean training loss over the epoch's mini-batches
 * @param trainAcc accuracy on the whole training split after the epoch
 * @param testAcc  accuracy on the whole test split after the epoch
 * @param seconds  wall-clock seconds of the epoch's training steps (evaluation excluded)
 */
public record EpochMetrics(int epoch, double loss, double trainAcc, double testAcc, double seconds) {

    /** One JSON object on one line: {@code {"epoch":1,"loss":...,"train_acc":...,"test_acc":...,"seconds":...}}. */
    public String toJson() {
        return "{\"epoch\":" + epoch + ",\"loss\":" + num(loss) + ",\"train_acc\":" + num(trainAcc)
                + ",\"test_acc\":" + num(testAcc) + ",\"seconds\":" + num(seconds) + "}";
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }
}
