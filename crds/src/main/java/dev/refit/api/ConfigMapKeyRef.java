package dev.refit.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/** A key of a ConfigMap in a named namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ConfigMapKeyRef {

  @JsonPropertyDescription(
      "Namespace of the ConfigMap. Refit watches and reads ConfigMaps only in the namespaces"
          + " it is given at install (Helm value nodeUpdater.moduleConfigMapNamespaces; by"
          + " default Refit's own namespace).")
  @Required
  @Size(min = 1, max = 63)
  @Pattern("^" + Patterns.DNS_LABEL + "$")
  private String namespace;

  @JsonPropertyDescription("Name of the ConfigMap.")
  @Required
  @Size(min = 1, max = 253)
  @Pattern("^" + Patterns.DNS_SUBDOMAIN + "$")
  private String name;

  @JsonPropertyDescription(
      "Key in the ConfigMap's data whose value is the module's CIL source. The operator watches"
          + " the ConfigMap: an edit of this value is a new revision, rolled out under the"
          + " policy's rules.")
  @Required
  @Size(min = 1, max = 253)
  @Pattern("^[-._a-zA-Z0-9]+$")
  private String key;

  public ConfigMapKeyRef() {}

  public ConfigMapKeyRef(String namespace, String name, String key) {
    this.namespace = namespace;
    this.name = name;
    this.key = key;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigMapKeyRef other
        && Objects.equals(namespace, other.namespace)
        && Objects.equals(name, other.name)
        && Objects.equals(key, other.key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(namespace, name, key);
  }

  @Override
  public String toString() {
    return namespace + "/" + name + "[" + key + "]";
  }
}
