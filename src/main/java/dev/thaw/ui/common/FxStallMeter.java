package dev.thaw.ui.common;

import javafx.animation.AnimationTimer;

/**
 * Measures how responsive the FX thread is: while running, it notes the longest gap between two
 * consecutive frames. A gap well above the 16 ms frame time is a stall a user would feel. The app
 * logs it when started with {@code -Dthaw.fxStallMeter=true}; UI tests report it.
 */
public final class FxStallMeter extends AnimationTimer {

    private long last;
    private long longest;
    private long frames;

    @Override
    public void handle(long now) {
        if (last != 0) {
            longest = Math.max(longest, now - last);
        }
        last = now;
        frames++;
    }

    @Override
    public void start() {
        last = 0;
        super.start();
    }

    /** The longest gap between frames since the last {@link #reset()}, in milliseconds. */
    public double longestStallMillis() {
        return longest / 1e6;
    }

    public long frames() {
        return frames;
    }

    public void reset() {
        longest = 0;
        frames = 0;
        last = 0;
    }
}
