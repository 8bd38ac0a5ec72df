# Multi-stage build: Maven builds the shaded jar, a Temurin 17 JRE runs it as a non-root user.
#   docker build -t tlslens .
#   docker run --rm -p 8443:8443 -p 9464:9464 -v $PWD/examples:/etc/tlslens tlslens --config /etc/tlslens/terminate.conf
# (inside a container, bind listeners and admin to 0.0.0.0 so the published ports reach them)
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY inspector/pom.xml inspector/
COPY config/pom.xml config/
COPY proxy/pom.xml proxy/
RUN mvn -B -q dependency:go-offline -DexcludeArtifactIds=tlslens-inspector,tlslens-config || true
COPY inspector inspector
COPY config config
COPY proxy proxy
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN groupadd --system tlslens && useradd --system --gid tlslens --home-dir /nonexistent --shell /usr/sbin/nologin tlslens
COPY --from=build /src/proxy/target/tlslens.jar /opt/tlslens/tlslens.jar
USER tlslens
# listener (TLS) and admin (/metrics /healthz /readyz)
EXPOSE 8443 9464
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/tlslens/tlslens.jar"]
