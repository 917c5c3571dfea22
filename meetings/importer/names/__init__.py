"""People on a page, by responsibility: ``normalise`` (a name as printed: is it a name,
its comparison key, tags and initials), ``labels`` (a speaker label split into role and
name), ``titles`` (people named in a title or lead) and ``registry`` (one participant per
person however many forms the page prints)."""
