package dev.unlearning.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.unlearning.api.DatasetFormat;
import dev.unlearning.api.DatasetSpec;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataReadersTest {

    @TempDir
    Path dir;

    @Test
    void readsFashionMnistWithStableIds() throws Exception {
        Splits splits = IdxDatasetReader.read(FashionMnist.defaultDir());
        assertThat(splits.train().size()).isEqualTo(60_000);
        assertThat(splits.test().size()).isEqualTo(10_000);
        assertThat(splits.train().classes()).isEqualTo(10);
        assertThat(splits.train().inputShape()).containsExactly(1, 28, 28);
        assertThat(splits.train().id(123)).isEqualTo("train-123");
        assertThat(splits.train().ids().rowOf("train-123")).isEqualTo(123);
        assertThat(splits.train().ids().rowOf("train-60000")).isEqualTo(-1);
        assertThat(splits.train().ids().rowOf("train-0123")).isEqualTo(-1);
        assertThat(splits.train().head(10).ids().rowOf("train-11")).isEqualTo(-1);
    }

    @Test
    void refusesATruncatedIdxFile() throws Exception {
        Path file = dir.resolve("train-labels-idx1-ubyte");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.writeInt(0x00000801);
            out.writeInt(100);
            out.write(new byte[10]);
        }
        assertThatThrownBy(() -> IdxReader.read(file)).hasMessageContaining("truncated");
    }

    @Test
    void readsCsvWithSubjectsAndAppliesASubjectMap() throws Exception {
        Path csv = dir.resolve("train.csv");
        Files.writeString(csv, "id,subject,label,f0,f1\nr1,alice,0,0.1,0.2\nr2,,1,0.3,0.4\nr3,bob,1,0.5,0.6\n");
        Path map = dir.resolve("subjects.csv");
        Files.writeString(map, "recordId,subjectId\nr2,carol\n");
        DatasetSpec spec = new DatasetSpec();
        spec.setUri("file://" + csv);
        spec.setFormat(DatasetFormat.CSV);
        spec.setSubjectMapUri("file://" + map);

        Splits splits = new DatasetLoader(UriResolver.local(dir)).load(spec);

        assertThat(splits.train().size()).isEqualTo(3);
        assertThat(splits.train().classes()).isEqualTo(2);
        assertThat(splits.train().subject(1)).isEqualTo("carol");
        float[] row = new float[2];
        splits.train().features().copyRow(2, row, 0);
        assertThat(row).containsExactly(0.5f, 0.6f);
        assertThat(splits.test().size()).isZero();
    }

    @Test
    void reportsMalformedCsvWithFileAndLine() throws Exception {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "id,subject,label,f0\nr1,,0,0.1\nr2,,x,0.2\n");
        assertThatThrownBy(() -> CsvDatasetReader.read(csv, "t", -1)).isInstanceOf(DataException.class)
                .hasMessageContaining("bad.csv:3");
        Files.writeString(csv, "id,subject,label,f0\nr1,,0,0.1,9\n");
        assertThatThrownBy(() -> CsvDatasetReader.read(csv, "t", -1)).hasMessageContaining("bad.csv:2: 5 columns");
    }

    @Test
    void aMissingDatasetNamesThePackageToInstall() {
        DatasetSpec spec = new DatasetSpec();
        spec.setUri("file://" + dir.resolve("nothing"));
        assertThatThrownBy(() -> new DatasetLoader(UriResolver.local(dir)).load(spec))
                .isInstanceOf(DataException.class).hasMessageContaining("dataset-fashion-mnist");
    }
}
