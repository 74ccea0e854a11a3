-- What a warm build needs of a cached package without parsing its content: validation problems, filter skeleton,
-- summary and the digest of its rendered catalog.json (see PackageStage). Null until a build computes it.
ALTER TABLE package_cache ADD COLUMN stage TEXT;
