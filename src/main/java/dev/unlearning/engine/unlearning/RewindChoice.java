package dev.unlearning.engine.unlearning;

import java.util.List;

/**
 * SCRUB+R's choice of epoch, apart from the training so it can be checked by hand: the epoch whose forget
 * error is closest to the target, among those whose retain and held-out accuracy stay at or above their
 * floors. A rewind must never trade utility for a closer error match, so when no epoch qualifies the last
 * one stands (the gate then judges it like any other candidate).
 */
final class RewindChoice {

    /** One epoch's model: its error on the forget rows, accuracy on a retain sample and on held-out rows. */
    record Epoch(double forgetError, double retainAccuracy, double heldOutAccuracy) {
    }

    private RewindChoice() {
    }

    static int choose(List<Epoch> epochs, double targetError, double retainFloor, double heldOutFloor) {
        if (epochs.isEmpty()) {
            throw new IllegalArgumentException("no epoch to choose from");
        }
        int best = -1;
        for (int e = 0; e < epochs.size(); e++) {
            Epoch epoch = epochs.get(e);
            boolean aboveFloor = epoch.retainAccuracy() >= retainFloor && epoch.heldOutAccuracy() >= heldOutFloor;
            if (aboveFloor && (best < 0 || Math.abs(epoch.forgetError() - targetError)
                    < Math.abs(epochs.get(best).forgetError() - targetError))) {
                best = e;
            }
        }
        return best < 0 ? epochs.size() - 1 : best;
    }
}
