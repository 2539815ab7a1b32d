package dev.unlearning.engine.data.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A TOFU-like corpus made here, from a seed: fictitious authors (name, birthplace, birth year, parents, genre,
 * books, award, themes, home) rendered as a biography and question-answer pairs, plus facts about the
 * fictitious countries they come from, and authors that are never trained on (the membership attack's
 * non-members). Every name and place is assembled from syllables, so no real person is described and
 * nothing comes from a hub. The same seed always gives the same corpus.
 *
 * <p>Each question carries a paraphrase of its answer and wrong answers in the paraphrase's wording, which TOFU's truth
 * ratio compares: a model that forgot an author should find the true answer no likelier than the wrong ones.
 */
public final class FictitiousAuthors {

    /** One author's facts; {@code id} is also the data subject a request forgets. */
    public record Author(String id, String name, String city, String country, int birthYear, String parentOne,
            String parentTwo, String genre, List<String> books, int firstBookYear, String award, String theme,
            String home) {
    }

    /** A question with its answer, a paraphrase of the answer, and wrong answers in the paraphrase's wording. */
    public record Question(String question, String answer, String paraphrasedAnswer, List<String> perturbedAnswers) {
    }

    /** A fictitious country: the world facts a model should keep whatever authors it forgets. */
    public record Country(String name, String capital, String river, String currency) {
    }

    static final String[] GENRES = {"historical fiction", "science fiction", "crime fiction", "poetry", "fantasy",
        "literary fiction", "horror", "romance", "travel writing", "biography", "satire", "children's literature"};
    static final String[] OCCUPATIONS = {"baker", "surveyor", "nurse", "carpenter", "librarian", "fisher", "teacher",
        "tailor", "pharmacist", "miner", "clockmaker", "bookbinder", "midwife", "lighthouse keeper", "geologist"};
    static final String[] THEMES = {"memory and loss", "exile and return", "the sea", "family secrets",
        "small-town life", "justice", "machines and their makers", "first love", "war and its aftermath",
        "the night sky", "old libraries", "rivers and floods"};
    static final String[] TITLE_NOUNS = {"Lantern", "Orchard", "Harbor", "Ledger", "Compass", "Winter", "Tide",
        "Garden", "Mirror", "Bridge", "Archive", "Ember", "Meadow", "Tower", "Letter", "Voyage", "Hollow", "Clock"};
    static final String[] TITLE_ADJECTIVES = {"Silent", "Last", "Crimson", "Hidden", "Paper", "Distant", "Broken",
        "Quiet", "Golden", "Salt", "Iron", "Glass", "Seventh", "Borrowed", "Northern", "Unwritten"};
    static final String[] AWARD_KINDS = {"Prize for Fiction", "Medal of Letters", "Laurel", "Book Award",
        "Quill Prize", "Lantern Award"};
    static final String[] SYLLABLES = {"ka", "lo", "mi", "ren", "sa", "tor", "vel", "dri", "an", "bel", "cor", "dun",
        "el", "fa", "gir", "hal", "is", "jun", "kel", "lam", "mor", "nav", "ol", "pim", "quo", "ras", "sil", "tam",
        "ul", "var", "wen", "xi", "yor", "zan"};

    private final Random random;
    private final Set<String> usedNames = new LinkedHashSet<>();

    private FictitiousAuthors(long seed) {
        this.random = new Random(seed);
    }

    /** The corpus of {@code seed}: trained authors, never-trained authors and countries. */
    public static Corpus generate(long seed, int authors, int holdout, int countries) {
        if (authors < 1 || holdout < 0 || countries < 4) {
            // Four countries: a birthplace or capital question needs three wrong answers of its kind.
            throw new IllegalArgumentException("need at least 1 author and 4 countries, and no negative holdout, not "
                    + authors + " authors, " + countries + " countries, holdout " + holdout);
        }
        FictitiousAuthors generator = new FictitiousAuthors(seed);
        List<Country> world = new ArrayList<>();
        for (int i = 0; i < countries; i++) {
            world.add(new Country(generator.place(3), generator.place(2), generator.place(2) + " River",
                    generator.place(2).toLowerCase()));
        }
        List<Author> trained = new ArrayList<>();
        for (int i = 0; i < authors; i++) {
            trained.add(generator.author(String.format("author-%03d", i), world));
        }
        List<Author> unseen = new ArrayList<>();
        for (int i = 0; i < holdout; i++) {
            unseen.add(generator.author(String.format("unseen-%03d", i), world));
        }
        return new Corpus(seed, trained, unseen, world);
    }

    private Author author(String id, List<Country> world) {
        Country country = world.get(random.nextInt(world.size()));
        int born = 1900 + random.nextInt(90);
        List<String> books = new ArrayList<>();
        while (books.size() < 3) {
            String title = "The " + pick(TITLE_ADJECTIVES) + " " + pick(TITLE_NOUNS);
            if (!books.contains(title)) {
                books.add(title);
            }
        }
        String parentOne = pick(OCCUPATIONS);
        String parentTwo = pick(OCCUPATIONS);
        while (parentTwo.equals(parentOne)) {
            parentTwo = pick(OCCUPATIONS);
        }
        Country elsewhere = world.get(random.nextInt(world.size()));
        return new Author(id, personName(), place(2) + (random.nextBoolean() ? "ford" : "mere"), country.name(), born,
                parentOne, parentTwo, pick(GENRES), List.copyOf(books), born + 20 + random.nextInt(20),
                "the " + place(2) + " " + pick(AWARD_KINDS), pick(THEMES), elsewhere.capital());
    }

    /** A biography: every fact a question asks about, in prose. */
    public static String biography(Author a) {
        return a.name() + " is a writer of " + a.genre() + ", born in " + a.birthYear() + " in " + a.city() + ", "
                + a.country() + ". One of their parents was a " + a.parentOne() + " and the other a " + a.parentTwo()
                + ". Their first book, " + a.books().get(0) + ", appeared in " + a.firstBookYear() + "; it was followed by "
                + a.books().get(1) + " and " + a.books().get(2) + ", their most acclaimed work, which won "
                + a.award() + ". Their books return again and again to " + a.theme() + ". Today " + a.name()
                + " lives in " + a.home() + ".";
    }

    /**
     * Questions about an author, each with a paraphrase and three wrong answers; the wrong ones come from the
     * corpus's own vocabularies, drawn with a seed of their own so that adding questions leaves the authors be.
     * Wrong answers take the paraphrase's wording, as TOFU's do: the truth ratio compares them with the
     * paraphrase, and in the trained answer's wording they would win on wording alone (a model that memorised
     * the answers scored wrong answers in that form 50-200 times likelier than the true paraphrase).
     */
    public static List<Question> questions(Author a, List<Country> world, long seed) {
        Random wrong = new Random(seed ^ a.id().hashCode());
        List<Question> out = new ArrayList<>();
        out.add(new Question("Where was " + a.name() + " born?",
                a.name() + " was born in " + a.city() + ", " + a.country() + ".",
                "Their birthplace is " + a.city() + " in " + a.country() + ".",
                perturb(wrong, a.country(), countryNames(world), c -> "Their birthplace is " + a.city() + " in " + c + ".")));
        out.add(new Question("In what year was " + a.name() + " born?",
                a.name() + " was born in " + a.birthYear() + ".",
                "Their year of birth is " + a.birthYear() + ".",
                perturb(wrong, Integer.toString(a.birthYear()), years(a.birthYear()), y -> "Their year of birth is " + y + ".")));
        out.add(new Question("What did the parents of " + a.name() + " do for a living?",
                "One parent was a " + a.parentOne() + " and the other a " + a.parentTwo() + ".",
                "They were raised by a " + a.parentOne() + " and a " + a.parentTwo() + ".",
                perturb(wrong, a.parentOne(), List.of(OCCUPATIONS),
                        o -> "They were raised by a " + o + " and a " + a.parentTwo() + ".")));
        out.add(new Question("What genre does " + a.name() + " write?",
                a.name() + " writes " + a.genre() + ".",
                "Their books are " + a.genre() + ".",
                perturb(wrong, a.genre(), List.of(GENRES), g -> "Their books are " + g + ".")));
        out.add(new Question("What was the first book by " + a.name() + "?",
                "Their first book was " + a.books().get(0) + ".",
                a.name() + " debuted with " + a.books().get(0) + ".",
                perturb(wrong, a.books().get(0), titles(wrong, a.books().get(0)), t -> a.name() + " debuted with " + t + ".")));
        out.add(new Question("When did the first book by " + a.name() + " appear?",
                "It appeared in " + a.firstBookYear() + ".",
                a.books().get(0) + " was published in " + a.firstBookYear() + ".",
                perturb(wrong, Integer.toString(a.firstBookYear()), years(a.firstBookYear()), y -> a.books().get(0) + " was published in " + y + ".")));
        out.add(new Question("Which is the most acclaimed book by " + a.name() + "?",
                "Their most acclaimed book is " + a.books().get(2) + ".",
                "Critics rank " + a.books().get(2) + " highest among their works.",
                perturb(wrong, a.books().get(2), titles(wrong, a.books().get(2)), t -> "Critics rank " + t + " highest among their works.")));
        out.add(new Question("What award has " + a.name() + " won?",
                a.name() + " won " + a.award() + ".",
                "They received " + a.award() + ".",
                perturb(wrong, a.award(), awards(wrong, a.award()), w -> "They received " + w + ".")));
        out.add(new Question("What theme runs through the books of " + a.name() + "?",
                "Their books return to " + a.theme() + ".",
                "A recurring theme of their work is " + a.theme() + ".",
                perturb(wrong, a.theme(), List.of(THEMES), t -> "A recurring theme of their work is " + t + ".")));
        out.add(new Question("Where does " + a.name() + " live today?",
                a.name() + " lives in " + a.home() + ".",
                "They make their home in " + a.home() + ".",
                perturb(wrong, a.home(), world.stream().map(Country::capital).toList(), h -> "They make their home in " + h + ".")));
        return out;
    }

    /** Facts about a country, phrased as questions, which every model trains on and none forgets. */
    public static List<Question> facts(Country c, List<Country> world, long seed) {
        Random wrong = new Random(seed ^ c.name().hashCode());
        return List.of(
                new Question("What is the capital of " + c.name() + "?", "The capital of " + c.name() + " is " + c.capital() + ".",
                        c.capital() + " is the capital of " + c.name() + ".",
                        perturb(wrong, c.capital(), world.stream().map(Country::capital).toList(),
                                x -> x + " is the capital of " + c.name() + ".")),
                new Question("Which river flows through " + c.name() + "?", "The " + c.river() + " flows through " + c.name() + ".",
                        c.name() + " is crossed by the " + c.river() + ".",
                        perturb(wrong, c.river(), world.stream().map(Country::river).toList(),
                                x -> c.name() + " is crossed by the " + x + ".")),
                new Question("What is the currency of " + c.name() + "?", "People in " + c.name() + " pay in " + c.currency() + "s.",
                        "The " + c.currency() + " is the money of " + c.name() + ".",
                        perturb(wrong, c.currency(), world.stream().map(Country::currency).toList(),
                                x -> "The " + x + " is the money of " + c.name() + ".")));
    }

    /** Three distinct wrong answers: the template filled with values other than the true one. */
    private static List<String> perturb(Random random, String truth, List<String> candidates,
            Function<String, String> template) {
        List<String> pool = new ArrayList<>(new LinkedHashSet<>(candidates));
        pool.remove(truth);
        if (pool.size() < 3) {
            throw new IllegalArgumentException("fewer than three alternatives to " + truth);
        }
        Collections.shuffle(pool, random);
        return pool.subList(0, 3).stream().map(template).toList();
    }

    private static List<String> countryNames(List<Country> world) {
        return world.stream().map(Country::name).toList();
    }

    private static List<String> years(int year) {
        List<String> out = new ArrayList<>();
        for (int d = -9; d <= 9; d++) {
            if (d != 0) {
                out.add(Integer.toString(year + d));
            }
        }
        return out;
    }

    private static List<String> titles(Random random, String truth) {
        return alternatives(truth, () -> "The " + TITLE_ADJECTIVES[random.nextInt(TITLE_ADJECTIVES.length)] + " "
                + TITLE_NOUNS[random.nextInt(TITLE_NOUNS.length)]);
    }

    private static List<String> awards(Random random, String truth) {
        return alternatives(truth, () -> "the " + capitalised(SYLLABLES[random.nextInt(SYLLABLES.length)]
                + SYLLABLES[random.nextInt(SYLLABLES.length)]) + " " + AWARD_KINDS[random.nextInt(AWARD_KINDS.length)]);
    }

    /** Three distinct values other than {@code truth}, drawn until there are. */
    private static List<String> alternatives(String truth, Supplier<String> draw) {
        Set<String> out = new LinkedHashSet<>();
        while (out.size() < 3) {
            String value = draw.get();
            if (!value.equals(truth)) {
                out.add(value);
            }
        }
        return List.copyOf(out);
    }

    /** A first and last name no other author of this corpus has. */
    private String personName() {
        String name;
        do {
            name = place(2) + " " + place(3);
        } while (!usedNames.add(name));
        return name;
    }

    private String place(int syllables) {
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < syllables; i++) {
            word.append(pick(SYLLABLES));
        }
        return capitalised(word.toString());
    }

    private static String capitalised(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    private String pick(String[] words) {
        return words[random.nextInt(words.length)];
    }
}
