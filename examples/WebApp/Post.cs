namespace WebApp;

/// <summary>A row of the posts table, as GET /posts returns it.</summary>
public sealed record Post(long Id, string Title, string? Slug, DateTime? PublishedAt);
