# CPU image: the operator and every worker role (one jar; the role is the first argument).
# Build the app first:  ./mvnw -B package -DskipTests
FROM eclipse-temurin:17-jre-jammy
RUN useradd --uid 1000 --no-create-home --shell /usr/sbin/nologin unlearning
COPY --chown=1000:1000 target/quarkus-app/ /app/
# libtorch unpacks into the DJL cache on first use; pods mount an emptyDir there, so the root file
# system can stay read-only.
ENV DJL_CACHE_DIR=/var/cache/unlearning/djl \
    OPT_OUT_TRACKING=true \
    JAVA_TOOL_OPTIONS="-Dai.djl.offline=true -XX:MaxRAMPercentage=75"
USER 1000
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/quarkus-run.jar"]
CMD ["operator"]
