package dev.unlearning.engine.data;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One line of a {@code jsonl} text dataset: the text a language model trains on, the data subject it belongs
 * to (what a request forgets), and for question-answer records the question, the answer, a paraphrase of it
 * and wrong answers in the paraphrase's wording (TOFU's truth ratio).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"id", "subject", "text", "question", "answer", "paraphrasedAnswer", "perturbedAnswers"})
public record TextRecord(String id, String subject, String text, String question, String answer,
        String paraphrasedAnswer, List<String> perturbedAnswers) {

    public static TextRecord prose(String id, String subject, String text) {
        return new TextRecord(id, subject, text, null, null, null, null);
    }

    public static TextRecord qa(String id, String subject, String question, String answer, String paraphrasedAnswer,
            List<String> perturbedAnswers) {
        return new TextRecord(id, subject, "Question: " + question + "\nAnswer: " + answer, question, answer,
                paraphrasedAnswer, perturbedAnswers);
    }
}
