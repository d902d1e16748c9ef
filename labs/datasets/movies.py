"""Movies as an OpenSearch _bulk file (an action line, then the document), for the OpenSearch lab.

Public-domain-era classics; years, genres and directors are public facts.
"""

import json

MOVIES = [
    ("Metropolis", 1927, ["Drama", "Sci-Fi"], ["Fritz Lang"]),
    ("Nosferatu", 1922, ["Horror"], ["F. W. Murnau"]),
    ("The General", 1926, ["Action", "Comedy"], ["Buster Keaton", "Clyde Bruckman"]),
    ("Sherlock Jr.", 1924, ["Comedy"], ["Buster Keaton"]),
    ("The Kid", 1921, ["Comedy", "Drama"], ["Charlie Chaplin"]),
    ("The Gold Rush", 1925, ["Adventure", "Comedy"], ["Charlie Chaplin"]),
    ("Battleship Potemkin", 1925, ["Drama", "History"], ["Sergei Eisenstein"]),
    ("The Cabinet of Dr. Caligari", 1920, ["Horror", "Mystery"], ["Robert Wiene"]),
    ("Safety Last!", 1923, ["Comedy", "Thriller"], ["Fred C. Newmeyer", "Sam Taylor"]),
    ("The Phantom of the Opera", 1925, ["Horror"], ["Rupert Julian"]),
    ("Sunrise", 1927, ["Drama", "Romance"], ["F. W. Murnau"]),
    ("The Passion of Joan of Arc", 1928, ["Drama", "History"], ["Carl Theodor Dreyer"]),
    ("Steamboat Bill, Jr.", 1928, ["Comedy"], ["Charles Reisner", "Buster Keaton"]),
    ("The Jazz Singer", 1927, ["Drama", "Music"], ["Alan Crosland"]),
    ("Wings", 1927, ["Drama", "War"], ["William A. Wellman"]),
    ("The Lost World", 1925, ["Adventure", "Sci-Fi"], ["Harry O. Hoyt"]),
    ("Our Hospitality", 1923, ["Comedy"], ["Buster Keaton", "John G. Blystone"]),
    ("The Thief of Bagdad", 1924, ["Adventure", "Fantasy"], ["Raoul Walsh"]),
    ("Robin Hood", 1922, ["Adventure"], ["Allan Dwan"]),
    ("The Navigator", 1924, ["Comedy"], ["Donald Crisp", "Buster Keaton"]),
    ("Faust", 1926, ["Drama", "Fantasy"], ["F. W. Murnau"]),
    ("Destiny", 1921, ["Drama", "Fantasy"], ["Fritz Lang"]),
    ("Dr. Mabuse the Gambler", 1922, ["Crime", "Thriller"], ["Fritz Lang"]),
    ("The Last Laugh", 1924, ["Drama"], ["F. W. Murnau"]),
    ("Greed", 1924, ["Drama"], ["Erich von Stroheim"]),
    ("The Big Parade", 1925, ["Drama", "War"], ["King Vidor"]),
    ("The Crowd", 1928, ["Drama"], ["King Vidor"]),
    ("Seven Chances", 1925, ["Comedy"], ["Buster Keaton"]),
    ("The Freshman", 1925, ["Comedy"], ["Fred C. Newmeyer", "Sam Taylor"]),
    ("Haxan", 1922, ["Documentary", "Horror"], ["Benjamin Christensen"]),
    ("Nanook of the North", 1922, ["Documentary"], ["Robert J. Flaherty"]),
    ("The Circus", 1928, ["Comedy"], ["Charlie Chaplin"]),
    ("The Wind", 1928, ["Drama", "Western"], ["Victor Sjostrom"]),
    ("The Man Who Laughs", 1928, ["Drama", "Romance"], ["Paul Leni"]),
    ("Pandora's Box", 1929, ["Drama"], ["G. W. Pabst"]),
    ("Man with a Movie Camera", 1929, ["Documentary"], ["Dziga Vertov"]),
    ("Blackmail", 1929, ["Crime", "Thriller"], ["Alfred Hitchcock"]),
    ("The Lodger", 1927, ["Crime", "Thriller"], ["Alfred Hitchcock"]),
    ("Napoleon", 1927, ["Biography", "History"], ["Abel Gance"]),
    ("It", 1927, ["Comedy", "Romance"], ["Clarence G. Badger"]),
    ("The Unknown", 1927, ["Horror", "Romance"], ["Tod Browning"]),
    ("Why Worry?", 1923, ["Comedy"], ["Fred C. Newmeyer", "Sam Taylor"]),
    ("The Mark of Zorro", 1920, ["Adventure"], ["Fred Niblo"]),
    ("Way Down East", 1920, ["Drama", "Romance"], ["D. W. Griffith"]),
    ("Orphans of the Storm", 1921, ["Drama", "History"], ["D. W. Griffith"]),
    ("The Docks of New York", 1928, ["Drama"], ["Josef von Sternberg"]),
    ("Spies", 1928, ["Thriller"], ["Fritz Lang"]),
    ("Woman in the Moon", 1929, ["Sci-Fi"], ["Fritz Lang"]),
    ("The Cameraman", 1928, ["Comedy"], ["Edward Sedgwick", "Buster Keaton"]),
    ("Speedy", 1928, ["Comedy"], ["Ted Wilde"]),
]


def bulk_ndjson() -> bytes:
    lines = []
    for number, (title, year, genres, directors) in enumerate(MOVIES, start=1):
        lines.append(json.dumps({"index": {"_index": "movies", "_id": str(number)}}))
        lines.append(json.dumps({"title": title, "year": year, "genres": genres, "directors": directors}))
    return ("\n".join(lines) + "\n").encode()
