package dev.unlearning.engine.unlearning;

import ai.djl.training.tracker.Tracker;

/** A learning rate the unlearning loop sets between passes (SCRUB cuts it once its max epochs are over). */
final class ScheduledRate implements Tracker {

    private float value;

    ScheduledRate(double initial) {
        this.value = (float) initial;
    }

    void set(double rate) {
        this.value = (float) rate;
    }

    @Override
    public float getNewValue(int numUpdate) {
        return value;
    }
}
