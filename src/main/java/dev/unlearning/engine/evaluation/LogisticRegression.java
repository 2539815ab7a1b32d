package dev.unlearning.engine.evaluation;

import java.util.Arrays;

/** A small standardised logistic regression fitted by full-batch gradient descent: the membership attack's model. */
public final class LogisticRegression {

    private final double[] mean;
    private final double[] scale;
    private final double[] weights;
    private double bias;

    private LogisticRegression(int features) {
        mean = new double[features];
        scale = new double[features];
        weights = new double[features];
    }

    /** Fits {@code x[i] -> y[i]} (y in {0,1}). */
    public static LogisticRegression fit(double[][] x, int[] y, int iterations, double learningRate) {
        int d = x[0].length;
        LogisticRegression model = new LogisticRegression(d);
        for (int j = 0; j < d; j++) {
            double m = 0;
            for (double[] row : x) {
                m += row[j];
            }
            m /= x.length;
            double v = 0;
            for (double[] row : x) {
                v += (row[j] - m) * (row[j] - m);
            }
            model.mean[j] = m;
            model.scale[j] = Math.sqrt(v / x.length) + 1e-9;
        }
        double[] gradient = new double[d];
        for (int it = 0; it < iterations; it++) {
            Arrays.fill(gradient, 0);
            double gradientBias = 0;
            for (int i = 0; i < x.length; i++) {
                double error = model.probability(x[i]) - y[i];
                for (int j = 0; j < d; j++) {
                    gradient[j] += error * (x[i][j] - model.mean[j]) / model.scale[j];
                }
                gradientBias += error;
            }
            for (int j = 0; j < d; j++) {
                model.weights[j] -= learningRate * gradient[j] / x.length;
            }
            model.bias -= learningRate * gradientBias / x.length;
        }
        return model;
    }

    public double probability(double[] features) {
        double z = bias;
        for (int j = 0; j < weights.length; j++) {
            z += weights[j] * (features[j] - mean[j]) / scale[j];
        }
        return 1 / (1 + Math.exp(-z));
    }
}
