# Multi-stage build: Maven builds the shaded jar, a Temurin 17 JRE runs it as a non-root user (65532).
#   docker build -t tlslens:0.1.0 .
#   docker run --rm -p 8443:8443 -p 9464:9464 -v $PWD/examples:/etc/tlslens tlslens:0.1.0 --config /etc/tlslens/terminate.conf
# (inside a container, bind listeners and the admin port to 0.0.0.0 so that the published ports reach them)
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests -pl proxy -am package

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 65532 tlslens \
 && useradd --system --uid 65532 --gid tlslens --home-dir /nonexistent --shell /usr/sbin/nologin tlslens
COPY --from=build /src/proxy/target/tlslens.jar /opt/tlslens/tlslens.jar
USER 65532:65532
# listener (TLS) and admin (/metrics /healthz /readyz)
EXPOSE 8443 9464
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/tlslens/tlslens.jar"]
